using Microsoft.Extensions.Options;
using Verdicts.Web.Newsletter;
using Verdicts.Web.Voting;

namespace Verdicts.Web.Data;

public static class DatabaseStartup
{
    public static IServiceCollection AddDatabase(this IServiceCollection services) =>
        services.AddDataProtectionKeys().AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VerdictsOptions>>().Value;
            var database = new Database(options.DatabasePath);
            if (options.Postgres.Length > 0)
                database.UsePostgres(options.Postgres);
            return database;
        });

    // Migrations, then the generated keys: made now, not on the first vote or sign-up, where a write inside a request would
    // wait on a locked database while holding the thread; and by the import, so a database it prepares can be deployed read-only.
    public static void PrepareDatabase(this IServiceProvider services)
    {
        var database = services.GetRequiredService<Database>();
        Migrations.ApplyOrServeReadOnly(database, services.GetRequiredService<ILogger<Database>>());
        if (database.Postgres is { } postgres)
            Migrations.ApplyPostgres(postgres);
        services.GetRequiredService<VoteTallies>();
        services.GetRequiredService<Visitors>();
        services.GetRequiredService<Subscriptions>();
    }

    // False when the database is corrupt: the site then served only a notice saying so, until it was stopped.
    public static async Task<bool> TryPrepareDatabaseAsync(this WebApplication app, string[] args)
    {
        try
        {
            app.Services.PrepareDatabase();
            return true;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB)
        {
            var reason = $"the database {app.Services.GetRequiredService<Database>().Path} is corrupt ({ex.Message}); "
                + "restore it from a backup, or move it away to start on a new one, then restart the site";
            app.Services.GetRequiredService<ILogger<Database>>().LogCritical("Not serving: {Reason}", reason);
            await app.DisposeAsync();
            await CorruptDatabaseSite.RunAsync(args, reason);
            return false;
        }
    }
}

namespace Verdicts.Web.Voting;

public static class VotingFeature
{
    public static IServiceCollection AddVoting(this IServiceCollection services)
    {
        // Counted from the votes once, when the database is prepared (Data/DatabaseStartup.cs); the vote writer keeps it from then on.
        services.AddSingleton(sp => VoteTallies.Load(sp.GetRequiredService<Data.Database>(),
            DateOnly.FromDateTime(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)));
        services.AddSingleton<Visitors>();
        services.AddSingleton<VoteWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<VoteWriter>());
        services.AddHostedService<PostgresNotices>();
        return services.AddHostedService<WalCheckpointer>();
    }
}

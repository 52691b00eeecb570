namespace Verdicts.Web.Content;

public static class ContentFeature
{
    public static IServiceCollection AddContent(this IServiceCollection services)
    {
        services.AddSingleton<ContentImporter>();
        services.AddSingleton<ContentReloader>();
        services.AddSingleton<ContentWatcher>();
        services.AddSingleton<ContentClone>();
        // The clone starts first (the first load reads it); the first load runs as the reloader starts; the watcher,
        // started after it, only hints later scans.
        services.AddHostedService(sp => sp.GetRequiredService<ContentClone>());
        services.AddHostedService(sp => sp.GetRequiredService<ContentReloader>());
        return services.AddHostedService(sp => sp.GetRequiredService<ContentWatcher>());
    }
}

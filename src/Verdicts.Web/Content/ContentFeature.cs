namespace Verdicts.Web.Content;

public static class ContentFeature
{
    public static IServiceCollection AddContent(this IServiceCollection services)
    {
        services.AddSingleton<ContentImporter>();
        services.AddSingleton<ContentReloader>();
        // Started before the reloader: its first load reads the clone.
        services.AddSingleton<ContentClone>();
        services.AddHostedService(sp => sp.GetRequiredService<ContentClone>());
        return services.AddHostedService(sp => sp.GetRequiredService<ContentReloader>());
    }
}

namespace Verdicts.Web.Content;

public static class ContentFeature
{
    public static IServiceCollection AddContent(this IServiceCollection services)
    {
        services.AddSingleton<ContentImporter>();
        services.AddSingleton<ContentReloader>();
        return services.AddHostedService(sp => sp.GetRequiredService<ContentReloader>());
    }
}

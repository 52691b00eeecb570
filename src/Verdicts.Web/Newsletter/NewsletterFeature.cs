namespace Verdicts.Web.Newsletter;

public static class NewsletterFeature
{
    public static IServiceCollection AddNewsletter(this IServiceCollection services)
    {
        services.AddSingleton<Mailer>();
        services.AddSingleton<Subscriptions>();
        services.AddSingleton<WeeklyNewsletter>();
        services.AddSingleton<MailOutbox>();
        return services.AddHostedService(sp => sp.GetRequiredService<MailOutbox>());
    }
}

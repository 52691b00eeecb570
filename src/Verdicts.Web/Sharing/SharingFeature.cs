namespace Verdicts.Web.Sharing;

/// <summary>What other sites show of ours: link-preview cards and embeddable badges.</summary>
public static class SharingFeature
{
    public static IServiceCollection AddSharing(this IServiceCollection services) => services.AddSingleton<ShareCards>();

    public static void MapSharing(this IEndpointRouteBuilder app)
    {
        ShareCards.Map(app);
        Badges.Map(app);
    }
}

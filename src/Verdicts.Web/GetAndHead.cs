namespace Verdicts.Web;

/// <summary>
/// HTTP asks a general-purpose server to answer HEAD wherever it answers GET (RFC 9110, 9.1), and <c>MapGet</c> alone
/// answers HEAD with 405. Kestrel sends no body for a HEAD request, so the GET handler serves both.
/// </summary>
public static class GetAndHead
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static RouteHandlerBuilder MapGetAndHead(this IEndpointRouteBuilder app, string pattern, Delegate handler) =>
        app.MapMethods(pattern, Methods, handler);

    /// <summary>For endpoints a framework maps with GET alone (the OpenAPI document): the last method metadata is the one routing reads.</summary>
    public static TBuilder AlsoAnswerHead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HttpMethodMetadata(Methods));
}

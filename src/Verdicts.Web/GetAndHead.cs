namespace Verdicts.Web;

/// <summary>
/// HTTP asks a general-purpose server to answer HEAD wherever it answers GET (RFC 9110, 9.1), and <c>MapGet</c> alone
/// answers HEAD with 405. Kestrel sends no body for a HEAD request, so the GET handler serves both: such endpoints are
/// mapped with <c>MapMethods(pattern, GetAndHead.Methods, handler)</c>. Called directly rather than through a helper
/// taking a <see cref="Delegate"/>, so the request delegate generator sees each handler and builds it at compile time.
/// </summary>
public static class GetAndHead
{
    public static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>For endpoints a framework maps with GET alone (the OpenAPI document): the last method metadata is the one routing reads.</summary>
    public static TBuilder AlsoAnswerHead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HttpMethodMetadata(Methods));
}

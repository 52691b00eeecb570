using Microsoft.AspNetCore.Http.Features;

namespace Verdicts.Web.Security;

/// <summary>
/// Reads a small URL-encoded form strictly: right content type, bounded size, only the expected fields,
/// each at most once. Anything else is a 4xx with a message saying what was wrong.
/// </summary>
public static class FormPost
{
    public const int MaxBodyBytes = 4 * 1024;

    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = MaxBodyBytes,
        BufferBody = false,
    };

    public sealed record Result(IReadOnlyDictionary<string, string> Fields, IResult? Problem);

    public static async Task<Result> ReadAsync(HttpRequest request, params string[] allowed)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return Fail(StatusCodes.Status415UnsupportedMediaType, "Send this form as application/x-www-form-urlencoded.");
        if (request.ContentLength > MaxBodyBytes)
            return Fail(StatusCodes.Status413PayloadTooLarge, $"The form is larger than {MaxBodyBytes} bytes.");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxBodyBytes;

        IFormCollection form;
        try
        {
            form = await new FormFeature(request, Limits).ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? Fail(StatusCodes.Status413PayloadTooLarge, $"The form is larger than {MaxBodyBytes} bytes.")
                : Fail(StatusCodes.Status400BadRequest, "The form could not be read.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
                return Fail(StatusCodes.Status400BadRequest, $"Unexpected field '{Printable(key)}'. This form takes: {string.Join(", ", allowed)}.");
            if (values.Count != 1)
                return Fail(StatusCodes.Status400BadRequest, $"Field '{key}' must be sent once.");
            fields[key] = values.ToString();
        }
        return new Result(fields, null);
    }

    /// <summary>A same-site path to send the visitor back to, or null: never another host, scheme or a header-breaking character.</summary>
    public static string? SafeReturnPath(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 512 || value[0] != '/' || value.StartsWith("//", StringComparison.Ordinal)
            || value.Any(c => c < ' ' || c == '\\' || c == '\u007F' || char.IsSurrogate(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            return null;
        return Uri.TryCreate(value, UriKind.Relative, out _) ? value : null;
    }

    private static Result Fail(int status, string message) =>
        new(new Dictionary<string, string>(), Slices.Notice.Refusal(status, message));

    private static string Printable(string value) =>
        new(value.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}

public static class SeeOtherResultExtensions
{
    /// <summary>303 See Other: after a POST the browser follows with a GET.</summary>
    public static IResult SeeOther(this IResultExtensions _, string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

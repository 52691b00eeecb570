using System.Text;

namespace Verdicts.Web.Pages.Admin;

/// <summary>The admin area's CSV exports (subscribers, votes): RFC 4180, and safe to open in a spreadsheet.</summary>
public static class Csv
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// One CSV field (RFC 4180), safe to open in a spreadsheet: a value that a spreadsheet would run as a formula
    /// gets a leading apostrophe, and a value holding a comma, quote or line break is quoted.
    /// </summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record with its CRLF ending.</summary>
    public static string Line(params IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>
    /// Sends the rows as a CSV attachment while they are read, so an export of any size holds one buffer in memory;
    /// returns how many rows went out. The caller has set the response's caching headers.
    /// </summary>
    public static async Task<long> StreamAsync<T>(HttpResponse response, string fileName, IEnumerable<string> header,
        IAsyncEnumerable<T> rows, Func<T, IEnumerable<string?>> fields)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename={fileName}";
        long count = 0;
        await using var writer = new StreamWriter(response.Body, Utf8, bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Line(header));
        await foreach (var row in rows.WithCancellation(response.HttpContext.RequestAborted))
        {
            await writer.WriteAsync(Line(fields(row)));
            count++;
        }
        await writer.FlushAsync();
        return count;
    }
}

using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Dapper;
using Verdicts.Web.Data;

namespace Verdicts.Tests.Infrastructure;

/// <summary>Fetching and reading pages the way a browser would, through AngleSharp.</summary>
public static class Html
{
    public static HttpClient NoRedirects(this VerdictsApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static async Task<IHtmlDocument> GetPage(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 2000)]}");
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        return Parse(body);
    }

    /// <summary>
    /// Asserts a refusal for now: a 503 with Retry-After, in the site's own HTML page (the page posted from, or the
    /// notice page), whose main content says <paramref name="says"/>; returns the page.
    /// </summary>
    public static async Task<IHtmlDocument> RefusedForNow(HttpResponseMessage response, string says)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(says, page.QuerySelector("main").Text(), StringComparison.Ordinal);
        return page;
    }

    /// <summary>Parses a page and fails on any HTML parse error, duplicate id or missing essentials.</summary>
    public static IHtmlDocument Parse(string html)
    {
        var errors = new List<string>();
        var parser = new HtmlParser(new HtmlParserOptions { IsNotConsumingCharacterReferences = false });
        parser.Error += (_, e) => errors.Add(((AngleSharp.Html.Dom.Events.HtmlErrorEvent)e).Message + " at " + ((AngleSharp.Html.Dom.Events.HtmlErrorEvent)e).Position);
        var document = parser.ParseDocument(html);
        Assert.True(errors.Count == 0, "HTML parse errors:\n" + string.Join('\n', errors));
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.Ordinal);
        var duplicateIds = document.QuerySelectorAll("[id]").GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicateIds.Count == 0, "duplicate ids: " + string.Join(", ", duplicateIds));
        Assert.Single(document.QuerySelectorAll("h1"));
        Assert.Equal("en", document.DocumentElement.GetAttribute("lang"));
        Assert.False(string.IsNullOrWhiteSpace(document.Title));
        foreach (var label in document.QuerySelectorAll("label[for]"))
            Assert.NotNull(document.GetElementById(label.GetAttribute("for")!));
        foreach (var element in document.QuerySelectorAll("[src], link[href]"))
        {
            var url = element.GetAttribute("src") ?? element.GetAttribute("href")!;
            Assert.True(url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) || element.GetAttribute("rel") == "canonical",
                $"page requests another host: {url}");
        }
        Assert.Empty(document.QuerySelectorAll("[style]"));
        Assert.Empty(document.QuerySelectorAll("script:not([src]):not([type='application/ld+json'])"));
        return document;
    }

    public static string? Metric(this IParentNode document, string metric, string tool) =>
        document.QuerySelector($"[data-metric='{metric}'][data-tool='{tool}']")?.GetAttribute("data-value");

    public static string Text(this IElement? element) => (element?.TextContent ?? "").Trim();

    /// <summary>Writes votes straight into the database, as if visitors had cast them, and has the site count them.</summary>
    public static void CastVotes(this VerdictsApp app, string tool, int ship, int skip)
    {
        using (var connection = app.Database.OpenWrites())
        {
            var rows = Enumerable.Range(0, ship).Select(i => "ship").Concat(Enumerable.Range(0, skip).Select(i => "skip"))
                .Select(choice => new { tool, voter = Guid.NewGuid().ToString("N"), choice, at = DateTime.UtcNow.ToString("O") });
            connection.Execute("INSERT INTO votes (tool_slug, voter, choice, voted_at) VALUES (@tool, @voter, @choice, @at)", rows);
        }
        app.Recount(tool).GetAwaiter().GetResult();
    }

    /// <summary>The expected percentage, computed here rather than by the site's own code.</summary>
    public static string Percent(int ship, int total) =>
        total == 0 ? "" : ((int)Math.Floor(100.0 * ship / total + 0.5)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Shown(int ship, int total) => total == 0 ? "—" : Percent(ship, total) + "%";

    public static async Task<HttpResponseMessage> Get(this HttpClient client, string path) => await client.GetAsync(new Uri(path, UriKind.Relative));

    public static Database Db(this VerdictsApp app) => app.Database;

    public static HttpStatusCode Status(this HttpResponseMessage response) => response.StatusCode;
}

/// <summary>Submits a form found on a page with the fields a browser would send.</summary>
public static class Forms
{
    public static FormUrlEncodedContent Fields(IElement form, string? submitterValue = null)
    {
        var fields = FieldsOf(form);
        if (submitterValue is not null && Submitter(form, submitterValue).GetAttribute("name") is { } name)
            fields.Add(new(name, submitterValue));
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>Every field a browser would send: inputs (checked ones only for boxes), selects, textareas, hidden tokens.</summary>
    public static List<KeyValuePair<string, string>> FieldsOf(IElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var field in form.QuerySelectorAll("input[name], select[name], textarea[name]"))
        {
            var name = field.GetAttribute("name")!;
            switch (field.LocalName, field.GetAttribute("type"))
            {
                case ("input", "submit" or "button" or "reset" or "image"):
                    break;
                case ("input", "checkbox" or "radio") when !field.HasAttribute("checked"):
                    break;
                case ("input", "checkbox" or "radio"):
                    fields.Add(new(name, field.GetAttribute("value") ?? "on"));
                    break;
                case ("select", _):
                    if ((field.QuerySelector("option[selected]") ?? field.QuerySelector("option")) is { } option)
                        fields.Add(new(name, option.GetAttribute("value") ?? option.TextContent));
                    break;
                case ("textarea", _):
                    fields.Add(new(name, field.TextContent));
                    break;
                default:
                    fields.Add(new(name, field.GetAttribute("value") ?? ""));
                    break;
            }
        }
        return fields;
    }

    /// <summary>The button a person would press: by its value, or by its visible text.</summary>
    public static IElement Submitter(IElement form, string valueOrText) =>
        form.QuerySelectorAll("button").Single(b => b.GetAttribute("value") == valueOrText || b.TextContent.Trim() == valueOrText);

    public static async Task<HttpResponseMessage> Submit(this HttpClient client, IElement form, string? submitterValue = null,
        Action<HttpRequestMessage>? adjust = null, params (string Name, string Value)[] overrides)
    {
        var fields = FieldsOf(form);
        foreach (var (name, value) in overrides)
        {
            fields.RemoveAll(f => f.Key == name);
            fields.Add(new(name, value));
        }
        if (submitterValue is not null && Submitter(form, submitterValue).GetAttribute("name") is { } submitterName)
            fields.Add(new(submitterName, submitterValue));
        var content = new FormUrlEncodedContent(fields);
        var action = submitterValue is not null
            ? Submitter(form, submitterValue).GetAttribute("formaction") ?? form.GetAttribute("action")!
            : form.GetAttribute("action")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative)) { Content = content };
        adjust?.Invoke(request);
        return await client.SendAsync(request);
    }
}

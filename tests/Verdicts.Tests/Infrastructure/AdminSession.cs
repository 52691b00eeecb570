using System.Net;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Infrastructure;

/// <summary>Signing in to the admin area through the real login form, and posting admin forms as a browser would.</summary>
public static class AdminSession
{
    public const string Name = "ada";
    public const string Password = "correct horse";

    /// <summary>Settings for one admin account, to pass to <see cref="VerdictsApp"/> (with any others the test needs).</summary>
    public static Dictionary<string, string?> AdminSettings(string name = Name, string password = Password) => new()
    {
        ["Verdicts:Admins:0:Name"] = name,
        ["Verdicts:Admins:0:PasswordHash"] = Hashes.GetOrAdd(password, AdminAccounts.Hash),
    };

    // The hasher is slow on purpose (ASP.NET Core's 100 000 PBKDF2 rounds): the test sites share one hash per password.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Hashes = new(StringComparer.Ordinal);

    /// <summary>The site on <paramref name="content"/> with the default admin account configured.</summary>
    public static VerdictsApp App(TestContent content) => new(content, AdminSettings());

    /// <summary>
    /// A client that has signed in through /admin/login and keeps its cookies (the session and the antiforgery
    /// cookie). It does not follow redirects, so a test sees each one; <see cref="Follow"/> follows one by hand.
    /// </summary>
    public static async Task<HttpClient> SignIn(VerdictsApp app, string name = Name, string password = Password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.FormOn("/admin/login", "form.login-form");
        using var response = await client.PostForm(form, values: [("Name", name), ("Password", password)]);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {name}: expected 302, got {(int)response.StatusCode}");
        return client;
    }

    /// <summary>Reads a page and finds a form on it; a form without an action posts back to the page, as in a browser.</summary>
    public static async Task<IElement> FormOn(this HttpClient client, string path, string selector)
    {
        var form = (await client.GetPage(path)).QuerySelector(selector);
        Assert.True(form is not null, $"no {selector} on {path}");
        if (string.IsNullOrEmpty(form.GetAttribute("action")))
            form.SetAttribute("action", path);
        return form;
    }

    /// <summary>Posts a form as a browser would (see <see cref="Forms.Submit"/>), the named button as submitter.</summary>
    public static Task<HttpResponseMessage> PostForm(this HttpClient client, IElement form, string? button = null,
        params (string Name, string Value)[] values)
    {
        var submitter = button is null ? null : form.QuerySelectorAll("button[name]").Single(b => b.GetAttribute("name") == button).GetAttribute("value") ?? "";
        return client.Submit(form, submitter, null, values);
    }

    /// <summary>One sign-in attempt, optionally from a given client address; the response is the test's to inspect.</summary>
    public static async Task<HttpResponseMessage> TryLogIn(HttpClient client, string name, string password, string? address = null)
    {
        var form = await client.FormOn("/admin/login", "form.login-form");
        return await client.Submit(form, "Sign in", request =>
        {
            if (address is not null)
                request.Headers.Add("X-Test-Client-IP", address);
        }, ("Name", name), ("Password", password));
    }

    /// <summary>Follows a redirect by hand and reads the page it leads to.</summary>
    public static async Task<AngleSharp.Html.Dom.IHtmlDocument> Follow(this HttpClient client, HttpResponseMessage redirect)
    {
        Assert.True(redirect.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther,
            $"expected a redirect, got {(int)redirect.StatusCode}: {await redirect.Content.ReadAsStringAsync()}");
        return await client.GetPage(redirect.Headers.Location!.OriginalString);
    }
}

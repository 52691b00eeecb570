using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Verdicts.Web.Admin;

namespace Verdicts.Tests.Infrastructure;

/// <summary>Signing in as an admin through the real login form, antiforgery token included.</summary>
public static class AdminSession
{
    public const string Name = "ada";
    public const string Password = "correct horse";

    private static readonly Lazy<string> PasswordHash = new(() => AdminAccounts.Hash(Password));

    public static Dictionary<string, string?> AdminSettings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Verdicts:Admins:0:Name"] = Name,
            ["Verdicts:Admins:0:PasswordHash"] = PasswordHash.Value,
        };
        foreach (var (key, value) in more ?? [])
            settings[key] = value;
        return settings;
    }

    /// <summary>A client that keeps cookies, does not follow redirects, and is signed in.</summary>
    public static async Task<HttpClient> SignIn(VerdictsApp app, string name = Name, string password = Password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await TryLogIn(client, name, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static async Task<HttpResponseMessage> TryLogIn(HttpClient client, string name, string password, string? address = null)
    {
        var form = (await client.GetPage("/admin/login")).QuerySelector("form.login-form")!;
        return await client.Submit(form, "Sign in", request =>
        {
            if (address is not null)
                request.Headers.Add("X-Test-Client-IP", address);
        }, ("Name", name), ("Password", password));
    }
}

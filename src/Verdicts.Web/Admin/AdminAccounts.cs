using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Verdicts.Web.Admin;

/// <summary>One admin from <c>Verdicts:Admins:N</c>: a name and a hash made by <c>hash-password</c>.</summary>
public sealed class AdminAccount
{
    public string Name { get; set; } = "";
    public string PasswordHash { get; set; } = "";
}

/// <summary>Checks admin names and passwords with ASP.NET Core's password hasher (PBKDF2, per-hash salt and iteration count).</summary>
public sealed class AdminAccounts(IOptions<VerdictsOptions> options)
{
    private static readonly PasswordHasher<AdminAccount> Hasher = new();

    // Checked when the name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly string DecoyHash = Hasher.HashPassword(new AdminAccount(), Guid.NewGuid().ToString());

    public bool AnyConfigured => Configured.Any();

    private IEnumerable<AdminAccount> Configured =>
        options.Value.Admins.Where(a => !string.IsNullOrWhiteSpace(a.Name) && !string.IsNullOrWhiteSpace(a.PasswordHash));

    /// <summary>The configured account of that name (in any case), if there is one.</summary>
    public AdminAccount? Find(string name) => Configured.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The account's canonical name when name and password match, else null.</summary>
    public string? Verify(string name, string password)
    {
        var account = Find(name);
        var result = Hasher.VerifyHashedPassword(account ?? new AdminAccount(), account?.PasswordHash ?? DecoyHash, password);
        return account is not null && result != PasswordVerificationResult.Failed ? account.Name : null;
    }

    public static string Hash(string password) => Hasher.HashPassword(new AdminAccount(), password);

    /// <summary><c>hash-password</c>: reads a password from standard input (without echo on a terminal) and prints its hash alone.</summary>
    public static int RunHashCommand(TextReader input, TextWriter output, TextWriter error)
    {
        string? password;
        if (!Console.IsInputRedirected)
        {
            error.Write("Password: ");
            var typed = new System.Text.StringBuilder();
            for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
            {
                if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
                    typed.Length--;
                else if (!char.IsControl(key.KeyChar))
                    typed.Append(key.KeyChar);
            }
            error.WriteLine();
            password = typed.ToString();
        }
        else
        {
            password = input.ReadLine();
        }
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("No password given.");
            return 1;
        }
        if (password.Length > LoginThrottle.MaxPasswordLength)
        {
            error.WriteLine($"Passwords are at most {LoginThrottle.MaxPasswordLength} characters; the sign-in form refuses longer ones.");
            return 1;
        }
        output.WriteLine(Hash(password));
        return 0;
    }
}

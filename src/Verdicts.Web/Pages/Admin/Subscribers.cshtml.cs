using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verdicts.Web.Admin;
using Verdicts.Web.Data;
using Verdicts.Web.Pages.Shared;

namespace Verdicts.Web.Pages.Admin;

/// <summary>Newsletter subscribers: counts by state, the list, a CSV export, and removing an address on request.</summary>
public sealed class SubscribersModel(Database database, AuditLog audit) : SitePageModel
{
    public const int PageSize = 100;
    private const string Path = "/admin/subscribers";

    public sealed record Subscriber
    {
        public long Id { get; init; }
        public required string Email { get; init; }
        public required string State { get; init; }
        public required string CreatedAt { get; init; }
        public string? ConfirmedAt { get; init; }
        public string? UnsubscribedAt { get; init; }
    }

    private const string SelectSubscribers = """
        SELECT id, email, state, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, unsubscribed_at AS UnsubscribedAt
        FROM subscribers
        """;

    public (long Pending, long Confirmed, long Unsubscribed) Counts { get; private set; }
    public IReadOnlyList<Subscriber> Subscribers { get; private set; } = [];
    public Paging Paging { get; private set; } = new(1, PageSize, 0, Path);

    /// <summary>Set after a removal, for the notice: the id only, so the address never travels in a URL or a log.</summary>
    public long? Removed { get; private set; }

    public string? Problem { get; private set; }
    public Subscriber? Confirming { get; private set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public long? Id { get; set; }

    public async Task<IActionResult> OnGetAsync([FromQuery] long? removed)
    {
        if (Paging.Requested(Request) is not { } number)
            return NotFound();
        await LoadAsync(number);
        if (!Paging.Exists)
            return NotFound();
        Removed = removed;
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        DoNotCache();
        using var connection = database.ReadWrites();
        var csv = new StringBuilder("email,state,created_at,confirmed_at,unsubscribed_at\r\n");
        var rows = 0;
        foreach (var row in await connection.QueryAsync<Subscriber>(SelectSubscribers + " ORDER BY id"))
        {
            csv.Append(Csv.Line(row.Email, row.State, row.CreatedAt, row.ConfirmedAt, row.UnsubscribedAt));
            rows++;
        }
        // A copy of every address leaves the site: worth a line in the audit, never the addresses themselves.
        if (!await ExportAudit.RecordAsync(audit, HttpContext, "export-subscribers", "subscribers", rows))
            return new EmptyResult();
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "subscribers.csv");
    }

    /// <summary>First step: finds the address and asks again; deletes nothing.</summary>
    public async Task<IActionResult> OnPostRemoveAsync()
    {
        await LoadAsync(1);
        var email = Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 254)
            return Refuse(StatusCodes.Status400BadRequest, "Give the address to remove.");
        using var connection = database.ReadWrites();
        Confirming = await connection.QuerySingleOrDefaultAsync<Subscriber>(SelectSubscribers + " WHERE email = @email", new { email });
        return Confirming is null ? Refuse(StatusCodes.Status404NotFound, "No subscriber has that address.") : Page();
    }

    public async Task<IActionResult> OnPostRemoveConfirmedAsync()
    {
        await LoadAsync(1);
        if (Id is not { } id)
            return Refuse(StatusCodes.Status400BadRequest, "Say which subscriber to remove.");
        var (admin, path) = (User.Identity!.Name!, "subscribers/" + id.ToString(CultureInfo.InvariantCulture));
        // The row goes only with its audit entry: a removal the audit cannot record is not made.
        try
        {
            using var connection = database.OpenWrites();
            using var transaction = connection.BeginTransaction();
            if (await connection.ExecuteAsync("DELETE FROM subscribers WHERE id = @id", new { id }, transaction) == 0)
                return Refuse(StatusCodes.Status404NotFound, "That subscriber is not on the list any more.");
            audit.Add(transaction, admin, "remove-subscriber", path, null, null, "removed on request");
            transaction.Commit();
        }
        catch (DbException)
        {
            // Locked, full, away, or the audit row refused: the transaction is undone whole.
            Response.Headers.RetryAfter = "5";
            return Refuse(StatusCodes.Status503ServiceUnavailable,
                "The database did not take the change, so nobody was removed. Please try again shortly.");
        }
        audit.Log(admin, "remove-subscriber", path, null, null, "removed on request");
        return RedirectToPage("/Admin/Subscribers", new { removed = id });
    }

    private PageResult Refuse(int status, string problem)
    {
        Response.StatusCode = status;
        Problem = problem;
        return Page();
    }

    private async Task LoadAsync(int pageNumber)
    {
        DoNotCache();
        Meta = new PageMeta("Subscribers · Verdicts admin", "Newsletter subscribers.", Path) { NoIndex = true };
        using var connection = database.ReadWrites();
        Counts = await connection.QuerySingleAsync<(long, long, long)>("""
            SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'confirmed'), count(*) FILTER (WHERE state = 'unsubscribed')
            FROM subscribers
            """);
        Paging = new Paging(pageNumber, PageSize, Counts.Pending + Counts.Confirmed + Counts.Unsubscribed, Path);
        if (!Paging.Exists)
            return;
        Subscribers = (await connection.QueryAsync<Subscriber>(SelectSubscribers + " ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
            new { limit = PageSize, offset = Paging.Offset })).ToList();
    }
}

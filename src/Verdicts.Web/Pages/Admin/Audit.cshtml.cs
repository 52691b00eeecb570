using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Verdicts.Web.Admin;

namespace Verdicts.Web.Pages.Admin;

/// <summary>Every admin change, newest first, a page at a time (<c>?before=</c> the last id shown), each with its diff or summary.</summary>
public sealed class AuditModel(AuditLog audit) : SitePageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<AuditLog.Entry> Entries { get; private set; } = [];

    /// <summary>Where the next (older) page starts, when there is one.</summary>
    public long? OlderThan { get; private set; }

    public IActionResult OnGet()
    {
        DoNotCache();
        long? before = null;
        if (Request.Query.TryGetValue("before", out var value))
        {
            if (value.Count != 1 || !long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return PlainBadRequest("'before' must be the number of an entry in the audit log.");
            before = id;
        }
        var entries = audit.Page(before, PageSize + 1);
        Entries = entries.Take(PageSize).ToList();
        OlderThan = entries.Count > PageSize ? Entries[^1].Id : null;
        Meta = new PageMeta("Audit log · Verdicts admin", "Every admin change.", "/admin/audit") { NoIndex = true };
        return Page();
    }
}

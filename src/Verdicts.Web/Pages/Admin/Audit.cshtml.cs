using Verdicts.Web.Admin;

namespace Verdicts.Web.Pages.Admin;

public sealed class AuditModel(AuditLog audit) : SitePageModel
{
    public IReadOnlyList<AuditLog.Entry> Entries { get; private set; } = [];

    public void OnGet()
    {
        DoNotCache();
        Entries = audit.Latest(500);
        Meta = new PageMeta("Audit log · Verdicts admin", "Every admin change.", "/admin/audit") { NoIndex = true };
    }
}

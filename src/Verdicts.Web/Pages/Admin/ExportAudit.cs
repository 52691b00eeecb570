using System.Data.Common;
using Verdicts.Web.Admin;
using Verdicts.Web.Data;

namespace Verdicts.Web.Pages.Admin;

/// <summary>An export is made only once the audit has recorded it: every copy of data leaving the site is on record.</summary>
internal static class ExportAudit
{
    /// <summary>Records that the signed-in admin exported <paramref name="rows"/> rows.</summary>
    /// <returns>False, with a 503 page already sent, when the audit could not record it: the export must not be made.</returns>
    public static async Task<bool> RecordAsync(AuditLog audit, HttpContext context, string action, string path, long rows)
    {
        try
        {
            audit.Record(context.User.Identity!.Name!, action, path, detail: Figures.Count(rows, "row", "rows"));
            return true;
        }
        catch (DbException)
        {
            await Slices.Notice.Refuse(context, StatusCodes.Status503ServiceUnavailable,
                "The database is not taking changes right now, so the export could not be recorded and was not made. Please try again shortly.",
                TimeSpan.FromSeconds(5));
            return false;
        }
    }
}

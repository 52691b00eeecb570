using Dapper;

namespace Verdicts.Web.Data;

public static class HealthCheck
{
    public static void MapHealthCheck(this IEndpointRouteBuilder app) => app.MapMethods("/healthz", GetAndHead.Methods, (Database database) =>
    {
        // The reason as the log gives it, but naming the file without the folders it sits in: this answer is public.
        if ((database.FileProblem() ?? database.ReadOnlyReason) is { } problem)
            return Results.Text($"unavailable: {problem.Replace(database.Path, Path.GetFileName(database.Path), StringComparison.Ordinal)}\n",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        using var connection = database.Open();
        return Results.Text($"ok: {connection.ExecuteScalar<long>("SELECT count(*) FROM tools")} tools\n");
    });
}

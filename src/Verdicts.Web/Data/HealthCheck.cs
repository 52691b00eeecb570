using Dapper;

namespace Verdicts.Web.Data;

public static class HealthCheck
{
    public static void MapHealthCheck(this IEndpointRouteBuilder app) => app.MapMethods("/healthz", GetAndHead.Methods, (Database database) =>
    {
        if ((database.FileProblem() ?? database.ReadOnlyReason) is { } problem)
            return Results.Text($"unavailable: {problem}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        using var connection = database.Open();
        return Results.Text($"ok: {connection.ExecuteScalar<long>("SELECT count(*) FROM tools")} tools\n");
    });
}

namespace Verdicts.Web.Data;

public static class HealthCheck
{
    public static void MapHealthCheck(this IEndpointRouteBuilder app) => app.MapGet("/healthz", (Database database) =>
    {
        if ((database.FileProblem() ?? database.ReadOnlyReason) is { } problem)
            return Results.Text($"unavailable: {problem}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM tools";
        return Results.Text($"ok: {command.ExecuteScalar()} tools\n");
    });
}

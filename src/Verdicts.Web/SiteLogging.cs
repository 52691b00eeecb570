using Serilog;
using Verdicts.Web.Security;

namespace Verdicts.Web;

public static class SiteLogging
{
    public static WebApplicationBuilder AddSiteLogging(this WebApplicationBuilder builder)
    {
        // The sinks and formatters that settings can name are those shipped with Serilog.AspNetCore, and the Async wrapper.
        // Naming their assemblies spares every start a scan of the dependency manifest for anything called Serilog.
        // appsettings.json wraps the console in Async: a request thread only queues its line, and a background thread writes
        // it, so request logging stays on in production without the console's lock on every request. The logger is
        // disposed with the host's services, which drains the queue.
        builder.Services.AddSerilog((services, logger) => logger.ReadFrom.Configuration(builder.Configuration,
            new Serilog.Settings.Configuration.ConfigurationReaderOptions(
                typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly,
                typeof(LoggerSinkConfigurationDebugExtensions).Assembly, typeof(LoggerConfigurationAsyncExtensions).Assembly,
                typeof(Serilog.Formatting.Compact.CompactJsonFormatter).Assembly)));
        return builder;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseSerilogRequestLogging(logging =>
        // The path comes from the visitor: escape control characters so a CR/LF cannot forge a log line.
        logging.GetMessageTemplateProperties = (context, _, elapsed, status) =>
        [
            new("RequestMethod", new Serilog.Events.ScalarValue(context.Request.Method)),
            new("RequestPath", new Serilog.Events.ScalarValue(LogText.Escape(context.Request.Path.ToString()))),
            new("StatusCode", new Serilog.Events.ScalarValue(status)),
            new("Elapsed", new Serilog.Events.ScalarValue(elapsed)),
        ]);
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Filters;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The operators' log files, written by Serilog as one more logger provider beside OpenTelemetry's (which keeps sending
/// everything to the dashboard): <c>application</c> (Information and above), <c>error</c> (warnings and errors), and
/// for the API <c>api-access</c> and <c>collector-events</c>, each from its own logger category. Files roll by day and
/// by size, and are deleted after <see cref="LogsOptions.RetainedDays"/>.
/// </summary>
public static class LogFiles
{
    /// <summary>One line per API request; written to <c>api-access</c> only (the dashboard has each request as a trace).</summary>
    public const string AccessCategory = "CatSyphon.AccessLog";

    /// <summary>Registrations, batches accepted or refused, heartbeats, completions, key rotations.</summary>
    public const string CollectorEventsCategory = "CatSyphon.CollectorEvents";

    // Times in UTC, as servers in several zones compare them; the level's three letters.
    private const string ApplicationTemplate = "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string AccessTemplate = "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Message:lj}{NewLine}";

    // Collector events quote the text collectors send (session ids), escaped as JSON, so no value can start a new line.
    private const string CollectorEventsTemplate = "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Message:j}{NewLine}";

    /// <summary>Adds the files unless <c>Logs:Enabled</c> is false. Settings out of range stop the start, naming the setting.</summary>
    public static TBuilder AddLogFiles<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var options = builder.Configuration.GetSection(LogsOptions.Section).Get<LogsOptions>() ?? new LogsOptions();
        options.Validate();
        if (!options.Enabled)
        {
            return builder;
        }

        var service = LogInstanceFolder.ServiceName(builder.Configuration["OTEL_SERVICE_NAME"], builder.Environment.ApplicationName);
        var folder = ClaimFolder(options.EffectiveDirectory(), service);
        builder.Services.AddSingleton(folder);

        var logger = new LoggerConfiguration()
            // What reaches the files is what the Logging section lets through, as for OpenTelemetry.
            .MinimumLevel.Verbose()
            .WriteTo.Logger(files => files
                .Filter.ByExcluding(Matching.FromSource(AccessCategory))
                .Filter.ByExcluding(Matching.FromSource(CollectorEventsCategory))
                .WriteTo.RollingFile(folder, "application", LogEventLevel.Information, ApplicationTemplate, options)
                .WriteTo.RollingFile(folder, "error", LogEventLevel.Warning, ApplicationTemplate, options))
            .WriteTo.Logger(access => access
                .Filter.ByIncludingOnly(Matching.FromSource(AccessCategory))
                .WriteTo.RollingFile(folder, "api-access", LogEventLevel.Information, AccessTemplate, options))
            .WriteTo.Logger(events => events
                .Filter.ByIncludingOnly(Matching.FromSource(CollectorEventsCategory))
                .WriteTo.RollingFile(folder, "collector-events", LogEventLevel.Information, CollectorEventsTemplate, options))
            .CreateLogger();

        // Added as a plain provider: Serilog's AddSerilog also lets every level through to it, past the Logging section.
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger, dispose: true));
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(AccessCategory, LogLevel.None);
        return builder;
    }

    /// <summary>True when the API should write <c>api-access</c> lines (files are on).</summary>
    public static bool Enabled(IServiceProvider services) => services.GetService<LogInstanceFolder>() is not null;

    /// <summary>
    /// One file set, rolled by day and by size. Serilog inserts the day (and a sequence number after a size roll) before the
    /// extension: application-20261206.log, application-20261206_001.log. Retention goes by the file's day, not a count,
    /// since a busy day rolls by size into more files.
    /// </summary>
    private static LoggerConfiguration RollingFile(this LoggerSinkConfiguration sink, LogInstanceFolder folder, string name,
        LogEventLevel minimumLevel, string template, LogsOptions options) =>
        sink.File(
            Path.Combine(folder.Path, name + "-.log"),
            restrictedToMinimumLevel: minimumLevel,
            outputTemplate: template,
            formatProvider: CultureInfo.InvariantCulture,
            fileSizeLimitBytes: options.MaxFileBytes,
            rollingInterval: RollingInterval.Day,
            rollOnFileSizeLimit: true,
            retainedFileCountLimit: null,
            retainedFileTimeLimit: TimeSpan.FromDays(options.RetainedDays));

    private static LogInstanceFolder ClaimFolder(string directory, string service)
    {
        try
        {
            return LogInstanceFolder.Claim(directory, service);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new InvalidOperationException(
                $"The log files cannot be written under {directory}: {exception.Message} " +
                $"Set {LogsOptions.Section}__Directory to a folder this user can write, or {LogsOptions.Section}__Enabled=false.", exception);
        }
    }
}

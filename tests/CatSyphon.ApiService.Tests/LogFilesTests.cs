using CatSyphon.ApiService.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatSyphon.ApiService.Tests;

/// <summary>The operators' log files: where they go, which lines each file takes, and the settings checked at start.</summary>
public sealed class LogFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"catsyphon-logs-{Guid.NewGuid():N}");

    [Fact]
    public void Root_logs_under_var_log_and_other_users_under_their_xdg_state_folder()
    {
        Assert.Equal("/var/log/catsyphon", LogsOptions.DefaultDirectory(isRoot: true, "/home/ann/state", "/root"));
        Assert.Equal("/home/ann/state/catsyphon/logs", LogsOptions.DefaultDirectory(isRoot: false, "/home/ann/state", "/home/ann"));
        Assert.Equal("/home/ann/.local/state/catsyphon/logs", LogsOptions.DefaultDirectory(isRoot: false, null, "/home/ann"));
        Assert.Equal("/home/ann/.local/state/catsyphon/logs", LogsOptions.DefaultDirectory(isRoot: false, " ", "/home/ann"));
    }

    [Theory]
    [InlineData("--Logs:RetainedDays=0", "Logs:RetainedDays")]
    [InlineData("--Logs:MaxFileBytes=1000", "Logs:MaxFileBytes")]
    public void A_setting_out_of_range_stops_the_start_naming_it(string setting, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Build(setting));

        Assert.Contains(named, error.Message);
        Assert.False(Directory.Exists(_directory));
    }

    [Fact]
    public void Turned_off_no_folder_is_made()
    {
        using var host = Build("--Logs:Enabled=false");

        Assert.Null(host.Services.GetService<LogInstanceFolder>());
        Assert.False(Directory.Exists(_directory));
    }

    [Fact]
    public void Each_file_takes_its_own_lines_and_the_dashboard_keeps_its_provider()
    {
        using (var host = Build())
        {
            Assert.Contains(host.Services.GetServices<ILoggerProvider>(), provider => provider.GetType().Name == "OpenTelemetryLoggerProvider");
            var loggers = host.Services.GetRequiredService<ILoggerFactory>();
            var application = loggers.CreateLogger("CatSyphon.Test");
            application.LogInformation("an information line");
            application.LogWarning("a warning line");
            application.LogDebug("a debug line");
            loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("a filtered line");
            loggers.CreateLogger(LogFiles.AccessCategory).LogInformation("GET /api/me 200");
            loggers.CreateLogger(LogFiles.CollectorEventsCategory).LogInformation("heartbeat collector {Status}", "ok\nforged line");
        }

        var folder = Path.Combine(_directory, "apiservice");
        var applicationLines = Read(folder, "application");
        Assert.Contains(applicationLines, line => line.Contains("[INF] CatSyphon.Test: an information line"));
        Assert.Contains(applicationLines, line => line.Contains("[WRN] CatSyphon.Test: a warning line"));
        Assert.DoesNotContain(applicationLines, line => line.Contains("debug line") || line.Contains("filtered line") || line.Contains("GET /api/me") || line.Contains("heartbeat"));
        var errorLine = Assert.Single(Read(folder, "error"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[WRN\] CatSyphon.Test: a warning line$", errorLine);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT[0-9:.]+Z GET /api/me 200$", Assert.Single(Read(folder, "api-access")));
        // Text a collector sent is quoted and escaped: it cannot start a line of its own.
        Assert.EndsWith("heartbeat collector \"ok\\nforged line\"", Assert.Single(Read(folder, "collector-events")));
    }

    [Fact]
    public void A_second_process_of_a_service_takes_the_next_folder_and_a_restart_the_first_free_one()
    {
        using var first = LogInstanceFolder.Claim(_directory, "api");
        var second = LogInstanceFolder.Claim(_directory, "api");
        Assert.Equal(Path.Combine(_directory, "api"), first.Path);
        Assert.Equal(Path.Combine(_directory, "api-2"), second.Path);

        second.Dispose();
        using var restarted = LogInstanceFolder.Claim(_directory, "api");

        Assert.Equal(Path.Combine(_directory, "api-2"), restarted.Path);
    }

    [Theory]
    [InlineData("api", "CatSyphon.ApiService", "api")]
    [InlineData(null, "CatSyphon.ApiService", "apiservice")]
    [InlineData("Web Front/End", "CatSyphon.Web", "web-front-end")]
    public void The_folder_is_named_after_the_service(string? otelServiceName, string applicationName, string expected) =>
        Assert.Equal(expected, LogInstanceFolder.ServiceName(otelServiceName, applicationName));

    [Fact]
    public void An_access_line_holds_the_path_escaped_and_bounded()
    {
        Assert.Equal("/collectors/sessions/a%20b%0Ac", AccessLog.LoggedPath(PathString.Empty, new PathString("/collectors/sessions/a b\nc")));
        Assert.Equal("/base/api/me", AccessLog.LoggedPath(new PathString("/base"), new PathString("/api/me")));
        Assert.Equal(512 + 3, AccessLog.LoggedPath(PathString.Empty, new PathString("/" + new string('x', 2000))).Length);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string[] Read(string folder, string name)
    {
        var file = Assert.Single(Directory.GetFiles(folder, $"{name}-*.log"));
        return File.ReadAllLines(file);
    }

    private IHost Build(params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [$"--Logs:Directory={_directory}", "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Warning", .. args],
            ApplicationName = "CatSyphon.ApiService",
            EnvironmentName = Environments.Production,
        });
        builder.ConfigureOpenTelemetry();
        builder.AddLogFiles();
        return builder.Build();
    }
}

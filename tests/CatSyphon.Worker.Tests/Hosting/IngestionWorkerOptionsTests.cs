using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatSyphon.Worker.Tests.Hosting;

/// <summary>A misconfigured worker refuses to start, before any lane reads a stream.</summary>
public sealed class IngestionWorkerOptionsTests
{
    [Theory]
    [InlineData("ReadCount", "0", "ReadCount")]
    [InlineData("LeaseDuration", "00:00:00.500", "LeaseDuration")]
    [InlineData("RetryBackoffMax", "00:00:00.100", "RetryBackoffMax must not be less than RetryBackoffInitial")]
    public async Task An_invalid_setting_stops_the_host_at_start(string setting, string value, string message)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{CatSyphonDbContext.ConnectionName}"] = "Host=127.0.0.1;Port=1",
            [$"{IngestionWorkerOptions.SectionName}:{setting}"] = value,
        });
        builder.AddIngestionWorker();

        // Never reached: nothing may connect before the settings are checked.
        using var unreachable = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=100");
        builder.Services.AddSingleton<IConnectionMultiplexer>(unreachable);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, failure.Message);
    }
}

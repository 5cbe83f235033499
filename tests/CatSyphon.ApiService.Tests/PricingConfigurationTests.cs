using CatSyphon.ApiService.Pricing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static CatSyphon.ApiService.Tests.TestPrices;

namespace CatSyphon.ApiService.Tests;

/// <summary>The shipped pricing.json as the API host loads it (the build copies it next to the tests).</summary>
public class PricingConfigurationTests
{
    private static HostApplicationBuilder HostBuilder(params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.AddPricing();
        return builder;
    }

    [Fact]
    public void The_host_prices_from_pricing_json()
    {
        using var host = HostBuilder().Build();

        var table = host.Services.GetRequiredService<PriceTable>();

        Assert.Equal(new Price(new Rates(5, 25, 6.25m, 10, 0.5m), FastMultiplier: 6), table.Find("claude-opus-4-6", Day("2026-02-12")));
        Assert.Equal(new LongContextTier(LongContextRule.EachKind, 200_000, new Rates(6, 22.5m, 7.5m, 12, 0.6m)),
            table.Find("claude-sonnet-4-5-20250929", Day("2026-02-12"))?.LongContext);
    }

    [Fact]
    public void Later_configuration_overrides_a_price_and_adds_a_dated_one()
    {
        using var host = HostBuilder(
            "--Pricing:Models:gpt-5.5:0:Input=6",
            "--Pricing:Models:gpt-5.5:1:From=2027-01-01",
            "--Pricing:Models:gpt-5.5:1:Input=4",
            "--Pricing:Models:gpt-5.5:1:Output=20",
            "--Pricing:Models:gpt-5.5:1:CacheWrite=0",
            "--Pricing:Models:gpt-5.5:1:CacheWrite1h=0",
            "--Pricing:Models:gpt-5.5:1:CacheRead=0.4").Build();

        var table = host.Services.GetRequiredService<PriceTable>();

        Assert.Equal(new Rates(6, 30, 0, 0, 0.5m), table.Find("gpt-5.5", Day("2026-12-31"))?.Standard);
        Assert.Equal(Standard(4, 20, 0, 0.4m), table.Find("gpt-5.5", Day("2027-01-01")));
    }

    [Fact]
    public async Task An_invalid_price_stops_the_host_at_start()
    {
        using var host = HostBuilder("--Pricing:Models:gpt-5.5:0:Output=-30").Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Pricing:Models:gpt-5.5:0:Output is -30; a price cannot be negative.", error.Failures);
    }
}

using CatSyphon.ApiService.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CatSyphon.ApiService.Tests;

/// <summary>Every options class of the API is validated when the host starts: a wrong value stops it, naming the setting.</summary>
public sealed class ApiOptionsTests
{
    private const string ValidAdminToken = "--Admin:Token=abcdefghijklmnopqrstuvwxyz0123456789";

    [Fact]
    public async Task The_defaults_and_an_admin_token_start_the_host()
    {
        using var host = Build(ValidAdminToken);

        await host.StartAsync();

        Assert.Equal("abcdefghijklmnopqrstuvwxyz0123456789", host.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Token);
        Assert.Equal(2, host.Services.GetRequiredService<IOptions<CatSyphon.ApiService.Ingestion.IngestOptions>>().Value.RetryAfterSeconds);
        await host.StopAsync();
    }

    [Fact]
    public Task A_short_admin_token_is_refused() => AssertRefusedAsync("--Admin:Token=too-short", "Admin:Token");

    [Fact]
    public Task A_collector_key_cache_lifetime_of_zero_is_refused() => AssertRefusedAsync("--Collectors:KeyCacheLifetime=00:00:00", "Collectors:KeyCacheLifetime");

    [Fact]
    public Task A_retry_after_of_zero_seconds_is_refused() => AssertRefusedAsync("--Ingest:RetryAfterSeconds=0", "Ingest:RetryAfterSeconds");

    [Fact]
    public Task An_upload_file_limit_of_zero_bytes_is_refused() => AssertRefusedAsync("--Uploads:MaxFileBytes=0", "Uploads:MaxFileBytes");

    private static async Task AssertRefusedAsync(string setting, string named)
    {
        using var host = Build(ValidAdminToken, setting);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    private static IHost Build(params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, EnvironmentName = Environments.Production });
        builder.Services.AddApiOptions();
        return builder.Build();
    }
}

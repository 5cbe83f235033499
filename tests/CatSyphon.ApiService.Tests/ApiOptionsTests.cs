using CatSyphon.ApiService.Authentication;
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
    public Task A_disk_budget_of_zero_bytes_is_refused() => AssertRefusedAsync("--Monitoring:DiskBudgetBytes=0", "Monitoring:DiskBudgetBytes");

    [Fact]
    public Task A_growth_window_beyond_ninety_days_is_refused() => AssertRefusedAsync("--Monitoring:GrowthWindowDays=91", "Monitoring:GrowthWindowDays");

    [Fact]
    public Task An_upload_file_limit_of_zero_bytes_is_refused() => AssertRefusedAsync("--Uploads:MaxFileBytes=0", "Uploads:MaxFileBytes");

    [Fact]
    public Task An_http_openid_connect_authority_is_refused_unless_allowed() => AssertSettingsRefusedAsync("Oidc:Authority", "--Oidc:Authority=http://idp.example.com/", "--Oidc:ClientId=web");

    [Fact]
    public Task An_openid_connect_authority_without_a_client_id_is_refused() => AssertSettingsRefusedAsync("Oidc:ClientId", "--Oidc:Authority=https://idp.example.com/");

    [Fact]
    public Task An_unknown_account_creation_is_refused() => AssertSettingsRefusedAsync("Oidc:AccountCreation", "--Oidc:AccountCreation=everyone");

    [Fact]
    public Task A_group_mapped_to_an_unknown_role_is_refused() =>
        AssertSettingsRefusedAsync("Oidc:GroupRoles:staff", "--Oidc:GroupsClaim=groups", "--Oidc:GroupRoles:staff=superuser");

    [Fact]
    public Task Group_roles_without_the_groups_claim_are_refused() => AssertSettingsRefusedAsync("Oidc:GroupsClaim", "--Oidc:GroupRoles:staff=admin");

    [Fact]
    public async Task A_local_http_authority_is_allowed_when_https_is_not_required()
    {
        using var host = Build(ValidAdminToken, "--Oidc:Authority=http://127.0.0.1:5001/", "--Oidc:ClientId=web", "--Oidc:RequireHttpsMetadata=false");

        await host.StartAsync();

        Assert.True(host.Services.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled);
        await host.StopAsync();
    }

    private static Task AssertRefusedAsync(string setting, string named) => AssertSettingsRefusedAsync(named, setting);

    private static async Task AssertSettingsRefusedAsync(string named, params string[] settings)
    {
        using var host = Build([ValidAdminToken, .. settings]);

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

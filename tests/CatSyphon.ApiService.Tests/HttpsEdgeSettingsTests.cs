using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Hosting;

namespace CatSyphon.ApiService.Tests;

/// <summary>The settings of the services' edge: which proxies are believed, and the public address.</summary>
public sealed class HttpsEdgeSettingsTests
{
    [Fact]
    public void Configured_proxies_replace_loopback_as_the_only_ones_believed()
    {
        var settings = new ForwardedHeadersSettings { TrustedProxies = ["10.0.0.0/8", "172.18.0.5"] };
        var options = new ForwardedHeadersOptions();

        settings.ApplyTo(options);

        Assert.Empty(Errors(settings));
        Assert.Equal([IPAddress.Parse("172.18.0.5")], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("10.0.0.0/8")], options.KnownIPNetworks);
        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
    }

    [Fact]
    public void Without_configured_proxies_only_loopback_is_believed()
    {
        var options = new ForwardedHeadersOptions();

        new ForwardedHeadersSettings().ApplyTo(options);

        Assert.Contains(IPAddress.IPv6Loopback, options.KnownProxies);
        Assert.Contains(options.KnownIPNetworks, network => network.Contains(IPAddress.Loopback));
        Assert.DoesNotContain(options.KnownIPNetworks, network => network.Contains(IPAddress.Parse("10.1.2.3")));
    }

    [Theory]
    [InlineData("proxy.internal")]
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void A_proxy_that_is_no_address_or_network_is_refused_by_name(string proxy)
    {
        var error = Assert.Single(Errors(new ForwardedHeadersSettings { TrustedProxies = [proxy] }));

        Assert.Contains("ForwardedHeaders:TrustedProxies", error);
        Assert.Contains($"'{proxy}'", error);
    }

    [Theory]
    [InlineData("https://catsyphon.example.com/", "https://catsyphon.example.com")]
    [InlineData("https://example.com/catsyphon", "https://example.com/catsyphon")]
    [InlineData(" ", null)]
    [InlineData(null, null)]
    public void A_public_url_is_kept_without_its_trailing_slash(string? configured, string? expected)
    {
        var settings = new PublicUrlSettings { PublicUrl = configured };

        Assert.Empty(Errors(settings));
        Assert.Equal(expected, settings.BaseAddress);
    }

    [Theory]
    [InlineData("catsyphon.example.com")]
    [InlineData("ftp://catsyphon.example.com")]
    [InlineData("https://user:secret@catsyphon.example.com")]
    [InlineData("https://catsyphon.example.com/?x=1")]
    public void A_public_url_that_is_not_a_plain_http_address_is_refused(string configured)
    {
        var error = Assert.Single(Errors(new PublicUrlSettings { PublicUrl = configured }));

        Assert.Contains("PublicUrl", error);
    }

    [Fact]
    public void Hsts_lasts_a_year_unless_configured()
    {
        var settings = new HstsSettings();

        Assert.Null(settings.Enabled);
        Assert.Equal(TimeSpan.FromDays(365), settings.MaxAge);
        Assert.NotEmpty(Errors(new HstsSettings { MaxAge = TimeSpan.FromSeconds(10) }));
    }

    private static List<string> Errors(object settings)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage!)];
    }
}

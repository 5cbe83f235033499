using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which reverse proxies may say who the client is and that it came over HTTPS (<c>X-Forwarded-For</c>,
/// <c>X-Forwarded-Proto</c>). Only these are believed: anyone else could claim any address (and so dodge the
/// per-address sign-in limit or forge the audit log's addresses).
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>
    /// IP addresses or CIDR networks of the proxies in front of the service (<c>10.0.0.0/8</c>, <c>172.18.0.5</c>).
    /// Empty: loopback only, a proxy on the same machine.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedProxies
            .Where(proxy => !IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            .Select(proxy => new ValidationResult(
                $"{SectionName}:TrustedProxies holds '{proxy}', which is neither an IP address nor a CIDR network (10.0.0.0/8).",
                [nameof(TrustedProxies)]));

    public void ApplyTo(ForwardedHeadersOptions options)
    {
        // One proxy hop, as nginx or an ingress appends it; the Host header is passed through by the proxy itself.
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        if (TrustedProxies.Length == 0)
        {
            return;
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in TrustedProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(IPNetwork.Parse(proxy));
            }
        }
    }
}

/// <summary>Strict-Transport-Security on HTTPS answers: browsers then never fall back to plain http for this host.</summary>
public sealed class HstsSettings
{
    public const string SectionName = "Hsts";

    /// <summary>Null: on everywhere but in Development (where localhost must stay reachable over http).</summary>
    public bool? Enabled { get; set; }

    [Range(typeof(TimeSpan), "00:05:00", "730.00:00:00", ErrorMessage = "Hsts:MaxAge must be between 5 minutes and 730 days.")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);
}

public static class HttpsEdge
{
    public static TBuilder AddHttpsEdge<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<ForwardedHeadersSettings>(ForwardedHeadersSettings.SectionName);
        builder.Services.AddValidatedOptions<HstsSettings>(HstsSettings.SectionName);
        PublicUrlSettings.Register(builder.Services);
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ForwardedHeadersSettings>>((options, settings) => settings.Value.ApplyTo(options));
        builder.Services.AddOptions<HstsOptions>()
            .Configure<IOptions<HstsSettings>>((options, settings) => options.MaxAge = settings.Value.MaxAge);
        return builder;
    }

    /// <summary>
    /// First in the pipeline: the client's address and scheme as the trusted proxy saw them (so links, cookies and
    /// limits see https and the real client), then HSTS on HTTPS answers.
    /// </summary>
    public static WebApplication UseHttpsEdge(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var hsts = app.Services.GetRequiredService<IOptions<HstsSettings>>().Value;
        if (hsts.Enabled ?? !app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }
}

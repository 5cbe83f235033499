using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The address people and collectors use to reach this installation (<c>https://catsyphon.example.com</c>), when it is
/// not the one the service listens on: behind a TLS-terminating proxy, an ingress or Container Apps. Read from the
/// configuration root (<c>PublicUrl</c>, environment <c>PublicUrl</c>), which the app host's <c>public-url</c>
/// parameter sets for both the API and the web.
/// </summary>
public sealed class PublicUrlSettings : IValidatableObject
{
    public const string ConfigurationKey = "PublicUrl";

    public string? PublicUrl { get; set; }

    /// <summary>The address without a trailing slash, or null when none is configured.</summary>
    public string? BaseAddress => string.IsNullOrWhiteSpace(PublicUrl) ? null : PublicUrl.TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { } address
            && (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            yield return new ValidationResult(
                $"{ConfigurationKey} must be an absolute https (or http) address without query or credentials, such as https://catsyphon.example.com (got '{PublicUrl}').",
                [nameof(PublicUrl)]);
        }
    }

    internal static void Register(IServiceCollection services) =>
        services.AddOptions<PublicUrlSettings>()
            .Configure<IConfiguration>((settings, configuration) => settings.PublicUrl = configuration[ConfigurationKey])
            .ValidateDataAnnotations().ValidateOnStart();
}

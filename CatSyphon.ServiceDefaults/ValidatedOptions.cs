using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to the configuration section <paramref name="section"/> and checks its data
    /// annotations when the host starts, so a wrong setting stops the start with a message naming it instead of
    /// failing on first use. Chain further <c>Validate</c> rules on the returned builder.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}

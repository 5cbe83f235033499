namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// A whole number a request may leave out (a page size, a window, a lifetime): <see cref="Default"/> when absent,
/// otherwise 1 to <see cref="Max"/>.
/// </summary>
internal readonly record struct OptionalCount(int Default, int Max)
{
    public int Or(int? given) => given ?? Default;

    public bool Allows(int? given) => given is not { } value || value is >= 1 && value <= Max;

    /// <summary>The problem's message when <see cref="Allows"/> does not hold for the value the request names <paramref name="name"/>.</summary>
    public string Rule(string name) => $"{name} must be between 1 and {Max}.";
}

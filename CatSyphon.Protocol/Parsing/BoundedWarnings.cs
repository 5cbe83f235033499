namespace CatSyphon.Protocol.Parsing;

/// <summary>A parse call's warnings: the first <paramref name="max"/> are kept (a hostile file would otherwise say the same thing a million times).</summary>
internal sealed class BoundedWarnings(int max)
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Items => _warnings;

    public void Add(string message)
    {
        if (_warnings.Count < max)
        {
            _warnings.Add(message);
        }
    }
}

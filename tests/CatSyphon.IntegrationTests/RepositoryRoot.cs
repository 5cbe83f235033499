namespace CatSyphon.IntegrationTests;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds CatSyphon.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "CatSyphon.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (CatSyphon.sln) was not found above the test binaries.");
    }
}

using System.IO.Compression;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The server offers the collector as a NuGet v3 feed, from the packages in its feed folder (read again when they change),
/// and <c>catsyphon status</c> says when the server offers a newer collector than the one running.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class CollectorFeedTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-feed-home-")
{
    private string Api => App.BaseUrl(ResourceNames.Api);

    [Fact]
    public async Task The_feed_serves_the_collector_packages_of_its_folder_and_status_offers_the_newer_one()
    {
        await RegisterInNewWorkspaceAsync();
        var (_, before, _) = await RunAsync("status");
        Assert.DoesNotContain("update:", before);

        var package = WritePackage("CatSyphon.Collector", "99.1.0-beta.2", "DotnetTool");
        var older = WritePackage("CatSyphon.Collector", "99.0.0", "DotnetTool");
        var broken = Path.Combine(Stack.FeedFolder.FullName, "broken.nupkg");
        await File.WriteAllTextAsync(broken, "not a zip");
        try
        {
            await CheckFeedAndStatusAsync(package);
        }
        finally
        {
            // The feed folder is the shared stack's: other tests find it as they expect, without these.
            File.Delete(package);
            File.Delete(older);
            File.Delete(broken);
        }
    }

    private async Task CheckFeedAndStatusAsync(string package)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Api) };

        var index = await CollectorClient.ReadJsonAsync(await http.GetAsync("/nuget/v3/index.json"));
        var resources = index.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("@type").GetString()!, r => r.GetProperty("@id").GetString()!);
        Assert.Equal($"{Api.TrimEnd('/')}/nuget/v3/flatcontainer/", resources["PackageBaseAddress/3.0.0"]);
        Assert.Equal($"{Api.TrimEnd('/')}/nuget/v3/registration/", resources["RegistrationsBaseUrl/3.6.0"]);

        // NuGet's addresses are lower-cased, versions normalized, and the list is oldest first; the broken file is left out.
        var versions = await CollectorClient.ReadJsonAsync(await http.GetAsync("/nuget/v3/flatcontainer/CatSyphon.Collector/index.json"));
        Assert.Equal(["99.0.0", "99.1.0-beta.2"], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        var bytes = await http.GetByteArrayAsync("/nuget/v3/flatcontainer/catsyphon.collector/99.1.0-beta.2/catsyphon.collector.99.1.0-beta.2.nupkg");
        Assert.Equal(await File.ReadAllBytesAsync(package), bytes);
        var nuspec = await http.GetStringAsync("/nuget/v3/flatcontainer/catsyphon.collector/99.0.0/catsyphon.collector.nuspec");
        Assert.Contains("<version>99.0.0</version>", nuspec);
        var registration = await CollectorClient.ReadJsonAsync(await http.GetAsync("/nuget/v3/registration/catsyphon.collector/index.json"));
        var leaves = registration.GetProperty("items")[0].GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["99.0.0", "99.1.0-beta.2"], leaves.Select(l => l.GetProperty("catalogEntry").GetProperty("version").GetString()));
        Assert.Equal("DotnetTool", leaves[0].GetProperty("catalogEntry").GetProperty("packageTypes")[0].GetProperty("name").GetString());

        foreach (var missing in new[]
                 {
                     "/nuget/v3/flatcontainer/other.package/index.json", "/nuget/v3/flatcontainer/catsyphon.collector/1.0.0/catsyphon.collector.1.0.0.nupkg",
                     "/nuget/v3/flatcontainer/catsyphon.collector/99.0.0/..%2F..%2Fappsettings.json", "/nuget/v3/registration/nothing/index.json",
                 })
        {
            using var response = await http.GetAsync(missing);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var (exit, output, _) = await RunAsync("status");
        Assert.Equal(0, exit);
        Assert.Contains($"update:     the server offers 99.1.0-beta.2; to update:\n{CatSyphon.Protocol.CollectorFeed.UpdateCommand(Api)}", output);
        Assert.Contains($"allowInsecureConnections=\"true\"", output); // this stack's API is plain http
    }

    /// <summary>A package as <c>dotnet pack</c> makes one, with just its manifest.</summary>
    private string WritePackage(string id, string version, string packageType)
    {
        var path = Path.Combine(Stack.FeedFolder.FullName, $"{id}.{version}.nupkg");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
        {
            writer.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{id}</id>
                    <version>{version}</version>
                    <authors>CatSyphon</authors>
                    <description>A test package.</description>
                    <packageTypes><packageType name="{packageType}" /></packageTypes>
                  </metadata>
                </package>
                """);
        }

        return path;
    }
}

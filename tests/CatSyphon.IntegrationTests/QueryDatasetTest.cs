namespace CatSyphon.IntegrationTests;

/// <summary>A query API test class over the shared <see cref="QueryDataset"/>; each test gets an admin client of its own.</summary>
public abstract class QueryDatasetTest(RunningStackFixture stack) : IDisposable
{
    private readonly HttpClient admin = stack.App.CreateAdminClient();

    /// <summary>The dataset (loaded by the first test that asks for it) and this test's admin client.</summary>
    protected async Task<(QueryDataset Data, HttpClient Admin)> DatasetAsync() => (await QueryDataset.LoadAsync(stack.App), admin);

    /// <summary>GETs <paramref name="path"/>, which must succeed, and reads its JSON body.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await CollectorClient.ReadJsonAsync(response);
    }

    public void Dispose() => admin.Dispose();
}

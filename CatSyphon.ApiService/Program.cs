using CatSyphon.ApiService.Apis.CollectorProtocol;
using CatSyphon.ApiService.Apis.Management;
using CatSyphon.ApiService.Apis.Query.Conversations;
using CatSyphon.ApiService.Apis.Query.Developers;
using CatSyphon.ApiService.Apis.Query.Plans;
using CatSyphon.ApiService.Apis.Query.Projects;
using CatSyphon.ApiService.Apis.Query.Stats;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseQueryStringValidation();
app.UseRateLimiter();

app.MapOpenApi();
if (app.Environment.IsDevelopment())
{
    // The interactive API reference, at /scalar, over the OpenAPI document at /openapi/v1.json.
    app.MapScalarApiReference();
}

// Management, the collector protocol, then the query API; this order is the order of the OpenAPI document's tags.
app.MapWorkspacesApi();
app.MapCollectorsAdminApi();
app.MapCollectorProtocolApi();
app.MapIngestionApi();
app.MapUploadsApi();
app.MapStatsApi();
app.MapPlansApi();
app.MapProjectsApi();
app.MapDevelopersApi();
app.MapConversationsApi();
app.MapDefaultEndpoints();

app.Run();

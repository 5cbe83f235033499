using CatSyphon.ApiService.Apis.Feed;
using CatSyphon.ApiService.Apis.CollectorProtocol;
using CatSyphon.ApiService.Apis.Export;
using CatSyphon.ApiService.Apis.Management;
using CatSyphon.ApiService.Apis.Operations;
using CatSyphon.ApiService.Apis.Otlp;
using CatSyphon.ApiService.Apis.People;
using CatSyphon.ApiService.Apis.Query.Conversations;
using CatSyphon.ApiService.Apis.Query.Developers;
using CatSyphon.ApiService.Apis.Query.Insights;
using CatSyphon.ApiService.Apis.Query.Llm;
using CatSyphon.ApiService.Apis.Query.Plans;
using CatSyphon.ApiService.Apis.Query.Projects;
using CatSyphon.ApiService.Apis.Query.Stats;
using CatSyphon.ApiService.Apis.Query.Telemetry;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseHttpsEdge();
app.UseAccessLog();
app.UseSecurityHeaders(SecurityHeaders.ApiPolicy, exempt: context => app.Environment.IsDevelopment() && context.Request.Path.StartsWithSegments("/scalar"));
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

// Sign-in and people, management, the collector protocol, then the query API; this order is the order of the OpenAPI
// document's tags.
app.MapAuthApi();
app.MapMeApi();
app.MapUsersApi();
app.MapWorkspacesApi();
app.MapMembersApi();
app.MapRedactionRulesApi();
app.MapDataJobsApi();
app.MapCollectorsAdminApi();
app.MapCollectorProtocolApi();
app.MapOtlpApi();
app.MapIngestionApi();
app.MapUploadsApi();
app.MapStatsApi();
app.MapInsightsApi();
app.MapLlmApi();
app.MapPlansApi();
app.MapProjectsApi();
app.MapDevelopersApi();
app.MapConversationsApi();
app.MapTelemetryApi();
app.MapExportApi();
app.MapAuditApi();
app.MapOpsApi();
app.MapCollectorFeedApi();
app.MapDefaultEndpoints();
app.RequireAccessDeclarations();

app.Run();

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

public sealed record CreateWorkspaceRequest(string? Name, string? Slug, Guid? OrganizationId, CollectorRegistration? CollectorRegistration);

public sealed record UpdateWorkspaceRequest(string? Name, CollectorRegistration? CollectorRegistration)
{
    /// <summary>Fields the request holds that PATCH does not change (unknown ones, or <c>slug</c>, <c>id</c>...): a 422 names them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unchangeable { get; init; }
}

public sealed record WorkspaceResponse(Guid Id, string Name, string Slug, Guid OrganizationId, CollectorRegistration CollectorRegistration, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WorkspaceResponse From(Workspace workspace) => new(
        workspace.Id, workspace.Name, workspace.Slug, workspace.OrganizationId, workspace.CollectorRegistration, workspace.CreatedAt, workspace.UpdatedAt);
}

public sealed record CreateEnrollmentTokenRequest(int? ExpiresInHours);

public sealed record EnrollmentTokenResponse(Guid Id, string Token, string Prefix, DateTimeOffset ExpiresAt);

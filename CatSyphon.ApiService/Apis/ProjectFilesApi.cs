using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

public sealed record FileActivity
{
    public required string Path { get; init; }
    public long Touches { get; init; }
    public long Sessions { get; init; }
    public long LinesAdded { get; init; }
    public long LinesDeleted { get; init; }
    public required string[] ChangeKinds { get; init; }
    public DateTimeOffset? LastTouchedAt { get; init; }
}

public sealed record ProjectFiles(Guid ProjectId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<FileActivity> Files);

using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

public sealed record ProjectView(
    Guid Id, string Name, string Directory, long Sessions, long Developers, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

public sealed record DeveloperView(
    Guid Id, string Username, string? DisplayName, long Sessions, long Projects, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

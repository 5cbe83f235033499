using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CatSyphon.ApiService.Apis;

public sealed record UploadResponse(Guid WorkspaceId, IReadOnlyList<UploadedFileResult> Files);

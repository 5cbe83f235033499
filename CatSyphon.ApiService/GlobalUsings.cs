// The namespaces nearly every endpoint, query and infrastructure file of the API uses; the query and management
// API's records and JSON options come from CatSyphon.Contracts.
global using CatSyphon.ApiService.Authentication;
global using CatSyphon.ApiService.Infrastructure;
global using CatSyphon.ApiService.Pricing;
global using CatSyphon.Contracts;
global using CatSyphon.Data;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.Options;

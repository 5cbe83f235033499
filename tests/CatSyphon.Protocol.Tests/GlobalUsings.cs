// Most of these tests build or read JSON text.
global using System.Text;
global using System.Text.Json;
global using Xunit;

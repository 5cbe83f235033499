// Most of these tests build or read JSON text, and many run the parsers.
global using System.Text;
global using System.Text.Json;
global using CatSyphon.Protocol.Parsing;
global using CatSyphon.Protocol.Parsing.Aider;
global using CatSyphon.Protocol.Parsing.Claude;
global using CatSyphon.Protocol.Parsing.Codex;
global using CatSyphon.Protocol.Parsing.Gemini;
global using Xunit;

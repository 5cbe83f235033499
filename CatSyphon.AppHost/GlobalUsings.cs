// Local mode's servers run only where they are installed: many types here say which platforms they support.
global using System.Runtime.Versioning;

// The compiler marks every init accessor with modreq(System.Runtime.CompilerServices.IsExternalInit), and the runtime
// matches that modifier by type identity when it binds a call. The netstandard2.0 asset defines the type itself, so a
// netstandard2.0 consumer compiled against that asset calls set_X with modreq([LinuxNet]IsExternalInit); in a .NET app
// that consumer runs against the net10.0 asset, whose accessors carry CoreLib's type. The net10.0 asset therefore
// forwards LinuxNet's name for the type to CoreLib's, and both modifiers resolve to one type (issue 12 item 1;
// tests/LinuxNet.CompatTests proves it). The polyfill stays internal: the runtime does not check a modifier type's
// accessibility, and a public one would collide (CS0436/CS0433) with the polyfill many netstandard2.0 consumers carry.
#if NET
[assembly: System.Runtime.CompilerServices.TypeForwardedTo(typeof(System.Runtime.CompilerServices.IsExternalInit))]
#else
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
#endif

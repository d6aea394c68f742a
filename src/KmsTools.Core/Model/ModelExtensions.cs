namespace KmsTools.Model
{
    // The value sets themselves are generated from the API model (Generated/KmsShapes.g.cs).
    public static partial class KeySpec
    {
        public static bool IsHmac(string spec) => spec != null && spec.StartsWith("HMAC_", System.StringComparison.Ordinal);
    }
}

namespace KmsTools.Model
{
    /// <summary>
    /// The response of an operation that returns no members (EnableKey, TagResource, ...), generated so that every
    /// operation returns a response and goes through one call path; cmdlets write nothing for it.
    /// </summary>
    public interface IEmptyResponse
    {
    }
}

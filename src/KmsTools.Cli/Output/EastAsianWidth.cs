namespace KmsTools.Cli.Output
{
    /// <summary>Display width as the CLI's table measures it: two columns for East Asian wide, fullwidth and ambiguous characters.</summary>
    internal static partial class EastAsianWidth
    {
        public static int Of(string text)
        {
            int width = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int codePoint = text[i];
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    codePoint = char.ConvertToUtf32(text[i], text[++i]);
                width += IsWide(codePoint) ? 2 : 1;
            }
            return width;
        }

        private static bool IsWide(int codePoint)
        {
            if (codePoint < 0xA1) return false;
            int low = 0, high = WideRanges.Length / 2 - 1;
            while (low <= high)
            {
                int middle = (low + high) / 2;
                if (codePoint < WideRanges[2 * middle]) high = middle - 1;
                else if (codePoint > WideRanges[2 * middle + 1]) low = middle + 1;
                else return true;
            }
            return false;
        }
    }
}

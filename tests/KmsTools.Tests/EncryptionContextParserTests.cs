using System.Collections;
using System.Collections.Generic;
using KmsTools.Cli;
using Xunit;

namespace KmsTools.Tests
{
    public class EncryptionContextParserTests
    {
        [Theory]
        [InlineData("k1=v1,k2=v2")]
        [InlineData(" k1 = v1 , k2 = v2 ")]
        [InlineData("{\"k1\":\"v1\",\"k2\":\"v2\"}")]
        [InlineData("k1='v1',\"k2\"=v2")]
        public void ShorthandAndJsonGiveTheSameMap(string text)
        {
            Assert.Equal(new Dictionary<string, string> { ["k1"] = "v1", ["k2"] = "v2" }, EncryptionContextParser.Parse(text));
        }

        [Fact]
        public void QuotesKeepCommasAndEqualsSigns()
        {
            Assert.Equal(new Dictionary<string, string> { ["path"] = "a=b,c" }, EncryptionContextParser.Parse("path='a=b,c'"));
        }

        [Theory]
        [InlineData("novalue")]
        [InlineData("{\"k\": 1}")]
        [InlineData("{\"k\": \"v\"")]
        [InlineData("k='open")]
        [InlineData("k=1,k=2")]
        [InlineData("=v")]
        public void WhatDoesNotParseIsAValidationError(string text)
        {
            var error = Assert.Throws<KmsException>(() => EncryptionContextParser.Parse(text));
            Assert.Equal("ValidationException", error.ErrorCode);
            Assert.StartsWith("The encryption context is not valid: ", error.Message);
        }

        [Fact]
        public void DictionaryValuesMustBeStrings()
        {
            var error = Assert.Throws<KmsException>(() => EncryptionContextParser.FromDictionary(new Hashtable { ["n"] = 1 }));
            Assert.Equal("ValidationException", error.ErrorCode);
            Assert.Contains("the value of 'n' is a Int32 (1), not a string", error.Message);
        }
    }
}

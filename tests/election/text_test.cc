#include "election/text.h"

#include <gtest/gtest.h>

namespace isoloir::election::text {
namespace {

TEST(Text, FoldKeyMatchesColumnNames) {
  EXPECT_EQ(FoldKey("N° carte-agent"), "ncarteagent");
  EXPECT_EQ(FoldKey("  Date de Naissance "), "datedenaissance");
  EXPECT_EQ(FoldKey("E-mail"), "email");
  EXPECT_EQ(FoldKey("Mél"), "mel");
  EXPECT_EQ(FoldKey("PRÉNOM"), "prenom");
  EXPECT_EQ(FoldKey("Numéro_de_carte_agent"), "numerodecarteagent");
}

TEST(Text, FoldNameForSortingAndComparing) {
  EXPECT_EQ(FoldName("  Écoffier   Œuvre "), "ecoffier oeuvre");
  EXPECT_EQ(FoldName("ÀÉÎÕÜÇÑŸ ĳ Łódź"), "aeioucny ij lodz");
  EXPECT_EQ(FoldName("D'Almeida"), "d'almeida");
}

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII text, longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("Hélène € \xF0\x9D\x84\x9E"));  // 2-, 3- and 4-byte characters
  EXPECT_FALSE(IsValidUtf8("H\xE9l\xE8ne"));              // Latin-1
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                  // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));              // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));          // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xC3"));                   // cut
  EXPECT_FALSE(IsValidUtf8("\x80"));
}

TEST(Text, TrimAndLines) {
  EXPECT_EQ(Trim(" \t\xC2\xA0 x y \xC2\xA0"), "x y");
  EXPECT_EQ(TrimLines("  12 rue X \n\n 75011 Paris  \n"), "12 rue X\n75011 Paris");
  EXPECT_EQ(RemoveSpaces("FR76 3000\xC2\xA0"
                         "6000\xE2\x80\xAF"
                         "01"),
            "FR763000600001");
  EXPECT_TRUE(HasControl("a\x01", true));
  EXPECT_TRUE(HasControl("a\nb", false));
  EXPECT_FALSE(HasControl("a\nb\tc", true));
}

TEST(Text, ShownCutsLongValuesOnACharacterBoundary) {
  const std::string s = std::string(39, 'a') + "éé";
  EXPECT_EQ(Shown(s), std::string(39, 'a') + "...");
  EXPECT_EQ(Quoted("x"), "\"x\"");
  EXPECT_EQ(Count(1234567), "1 234 567");
  EXPECT_EQ(Count(999), "999");
}

}  // namespace
}  // namespace isoloir::election::text

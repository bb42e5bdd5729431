// Small discrete logarithms by baby-step giant-step (spec §11).
#include "crypto/dlog.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::FailsWith;
using test::MakeRng;

Point G(uint64_t m) { return Point::MulBase(Scalar::FromUint64(m)); }

TEST(Dlog, SmallValues) {
  const DlogTable table(1000);
  EXPECT_EQ(table.bound(), 1000u);
  auto zero = table.Solve(Point::Identity());
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(*zero, 0u);
  auto one = table.Solve(Point::Generator());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, 1u);
  // Every value up to the bound, with a running sum rather than fresh products.
  Point acc;
  for (uint64_t m = 0; m <= 1000; ++m) {
    auto r = table.Solve(acc);
    ASSERT_TRUE(r.ok()) << m << ": " << r.error().ToString();
    ASSERT_EQ(*r, m);
    acc += Point::Generator();
  }
}

TEST(Dlog, AboveTheBoundIsAnError) {
  const DlogTable table(1000);
  for (uint64_t m : {1001ull, 1002ull, 1024ull, 2000ull, 5000ull, 1000000ull}) {
    EXPECT_TRUE(FailsWith(table.Solve(G(m)), "dlog.out_of_range")) << m;
  }
  // -1 (that is, n - 1) and a random point are not small counts either.
  EXPECT_TRUE(FailsWith(table.Solve(-Point::Generator()), "dlog.out_of_range"));
  auto rng = MakeRng("dlog/random");
  EXPECT_TRUE(FailsWith(table.Solve(test::RandomPoint(rng)), "dlog.out_of_range"));
}

// Every value around the giant-step boundaries of a table with bound 100
// (step 11): all of 0..100 solve, 101..150 do not.
TEST(Dlog, StepBoundaries) {
  const DlogTable table(100);
  Point acc;
  for (uint64_t m = 0; m <= 150; ++m) {
    auto r = table.Solve(acc);
    if (m <= 100) {
      ASSERT_TRUE(r.ok()) << m;
      EXPECT_EQ(*r, m);
    } else {
      EXPECT_TRUE(FailsWith(r, "dlog.out_of_range")) << m;
    }
    acc += Point::Generator();
  }
}

TEST(Dlog, TinyBounds) {
  const DlogTable zero(0);
  auto z = zero.Solve(Point::Identity());
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*z, 0u);
  EXPECT_TRUE(FailsWith(zero.Solve(G(1)), "dlog.out_of_range"));
  EXPECT_TRUE(FailsWith(zero.Solve(G(2)), "dlog.out_of_range"));

  const DlogTable one(1);
  for (uint64_t m = 0; m <= 1; ++m) {
    auto r = one.Solve(G(m));
    ASSERT_TRUE(r.ok()) << m;
    EXPECT_EQ(*r, m);
  }
  EXPECT_TRUE(FailsWith(one.Solve(G(2)), "dlog.out_of_range"));
  EXPECT_TRUE(FailsWith(one.Solve(G(3)), "dlog.out_of_range"));
}

// The size of a national election: ten million votes, with a table of about
// 3,200 entries.
TEST(Dlog, TenMillion) {
  const uint64_t bound = 10'000'000;
  const DlogTable table(bound);
  for (uint64_t m : std::initializer_list<uint64_t>{0, 1, 3162, 3163, 3164, 1234567, 9'999'999,
                                                    bound - 3163, bound}) {
    auto r = table.Solve(G(m));
    ASSERT_TRUE(r.ok()) << m << ": " << r.error().ToString();
    EXPECT_EQ(*r, m);
  }
  EXPECT_TRUE(FailsWith(table.Solve(G(bound + 1)), "dlog.out_of_range"));
  EXPECT_TRUE(FailsWith(table.Solve(G(bound + 5000)), "dlog.out_of_range"));
}

}  // namespace
}  // namespace isoloir::crypto

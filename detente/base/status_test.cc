#include "detente/base/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "detente/base/result.h"

namespace detente {
namespace {

TEST(StatusTest, OkIsDefaultAndCarriesNoMessage) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, FactoriesSetCodeAndMessage) {
  EXPECT_EQ(Status::NotFound("x").code(), StatusCode::kNotFound);
  EXPECT_EQ(Status::Corruption("x").code(), StatusCode::kCorruption);
  EXPECT_EQ(Status::PermissionDenied("x").code(),
            StatusCode::kPermissionDenied);
  Status s = Status::InvalidArgument("limit 'a': value is negative");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "invalid argument: limit 'a': value is negative");
}

TEST(StatusTest, CopyIsDeepAndContextPrepends) {
  Status a = Status::IOError("disk");
  Status b = a;
  EXPECT_EQ(a, b);
  Status c = b.WithContext("reading f.toml");
  EXPECT_EQ(c.message(), "reading f.toml: disk");
  EXPECT_EQ(a.message(), "disk");
  EXPECT_TRUE(Status().WithContext("x").ok());
}

Status FailIf(bool fail) {
  return fail ? Status::FailedPrecondition("asked to fail") : Status::Ok();
}

Status Chain(bool fail, int* reached) {
  DETENTE_RETURN_IF_ERROR(FailIf(fail));
  *reached = 1;
  return Status::Ok();
}

TEST(StatusTest, ReturnIfErrorStopsAtFirstError) {
  int reached = 0;
  EXPECT_EQ(Chain(true, &reached).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(reached, 0);
  EXPECT_TRUE(Chain(false, &reached).ok());
  EXPECT_EQ(reached, 1);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  DETENTE_ASSIGN_OR_RETURN(int h, Half(x));
  DETENTE_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, ValueOrStatus) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<std::string>> r =
      std::make_unique<std::string>("owned");
  ASSERT_TRUE(r.ok());
  std::unique_ptr<std::string> p = std::move(r).value();
  EXPECT_EQ(*p, "owned");
}

Result<std::vector<int>> Numbers() { return std::vector<int>{1, 2, 3}; }

// Range-for over the value of a temporary Result must not dangle (ASan
// catches it if it does).
TEST(ResultTest, RangeForOverTemporaryIsSafe) {
  int sum = 0;
  for (int x : *Numbers()) sum += x;
  for (int x : Numbers().value()) sum += x;
  EXPECT_EQ(sum, 12);
}

TEST(ResultTest, OkStatusIsNotAValue) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r = Status::NotFound("nothing");
  EXPECT_DEATH((void)r.value(), "nothing");
}

}  // namespace
}  // namespace detente

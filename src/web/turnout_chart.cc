// Inline SVG: axes at 0, 50 and 100 %, one polyline, a few time labels.
#include "web/turnout_chart.h"

#include <cstdio>

#include "web/render.h"

namespace isoloir::web {

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::string TurnoutSvg(const portal::ScrutinTurnout& t, const ChartText& text,
                       const std::function<std::string(int64_t)>& label, const std::string& id) {
  constexpr double kW = 640, kH = 240, kLeft = 48, kRight = 16, kTop = 16, kBottom = 32;
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  const std::string title_id = EscapeAttribute(id) + "-titre";
  const std::string desc_id = EscapeAttribute(id) + "-desc";
  std::string svg =
      "<svg class=\"courbe\" viewBox=\"0 0 640 240\" role=\"img\" aria-labelledby=\"" + title_id +
      "\" aria-describedby=\"" + desc_id + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  svg += "<title id=\"" + title_id + "\">" + EscapeAttribute(text.title) + "</title>";
  svg += "<desc id=\"" + desc_id + "\">" + EscapeAttribute(text.description) + "</desc>";
  for (int pct : {0, 50, 100}) {
    const double y = kTop + plot_h * (1.0 - pct / 100.0);
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y) + "\" x2=\"" + Num(kW - kRight) +
           "\" y2=\"" + Num(y) + "\" stroke=\"#929292\" stroke-width=\"1\"/>";
    svg += "<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(y + 4) +
           "\" text-anchor=\"end\" font-size=\"12\" fill=\"#161616\">" + std::to_string(pct) +
           " %</text>";
  }
  const size_t n = t.course.size();
  if (n > 0 && t.inscrits > 0) {
    std::string points = Num(kLeft) + "," + Num(kTop + plot_h);
    for (size_t i = 0; i < n; ++i) {
      const double x = kLeft + plot_w * static_cast<double>(i + 1) / static_cast<double>(n);
      const double share =
          static_cast<double>(t.course[i].votants) / static_cast<double>(t.inscrits);
      points += " " + Num(x) + "," + Num(kTop + plot_h * (1.0 - share));
    }
    svg +=
        "<polyline fill=\"none\" stroke=\"#000091\" stroke-width=\"3\" points=\"" + points + "\"/>";
    // A label at the start, the middle and the end of the axis.
    for (size_t i : {size_t{0}, n / 2, n - 1}) {
      const double x = kLeft + plot_w * static_cast<double>(i + 1) / static_cast<double>(n);
      svg += "<text x=\"" + Num(x) + "\" y=\"" + Num(kH - 10) +
             "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#161616\">" +
             EscapeAttribute(label(t.course[i].time)) + "</text>";
      if (n < 3) break;
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace isoloir::web

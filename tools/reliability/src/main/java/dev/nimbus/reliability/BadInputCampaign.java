package dev.nimbus.reliability;

import dev.nimbus.testing.badinput.BadRequests;
import dev.nimbus.testing.badinput.BadRequests.BadRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends generated bad requests ({@link BadRequests}) to every route of an API and counts, per
 * route, the answers by class: 4xx (refused, the target), 5xx (a failure the caller cannot act on;
 * target 0) and anything else (a bad input accepted). Every answer is scanned for secrets.
 */
final class BadInputCampaign {
  /** The API under test: one request in, its final answer out. */
  interface Api {
    Answer call(BadRequest request);
  }

  /** An answer: HTTP status and body (for a started preview, the problem of its last poll). */
  record Answer(int status, String body) {}

  /** What one route did with its bad inputs; {@code examples} describe a few non-4xx answers. */
  record RouteResult(
      String route,
      int tried,
      int clientErrors,
      int serverErrors,
      int other,
      List<String> examples) {}

  private final Api api;
  private final BadRequests requests;
  private final SecretScan scan;

  BadInputCampaign(Api api, BadRequests requests, SecretScan scan) {
    this.api = api;
    this.requests = requests;
    this.scan = scan;
  }

  /** {@code perRoute} bad requests to each route of {@code routes}. */
  List<RouteResult> run(List<String> routes, int perRoute) {
    List<RouteResult> out = new ArrayList<>();
    for (String route : routes) {
      int c4 = 0;
      int c5 = 0;
      int other = 0;
      List<String> examples = new ArrayList<>();
      for (int i = 0; i < perRoute; i++) {
        BadRequest request = requests.next(route);
        Answer answer = api.call(request);
        scan.scan("HTTP answers", route, answer.body());
        int s = answer.status();
        if (s >= 400 && s <= 499) {
          c4++;
          continue;
        }
        if (s >= 500 && s <= 599) {
          c5++;
        } else {
          other++;
        }
        if (examples.size() < 3) {
          examples.add(s + " for " + request.description());
        }
      }
      out.add(new RouteResult(route, perRoute, c4, c5, other, List.copyOf(examples)));
    }
    return out;
  }
}

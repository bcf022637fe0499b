from django.http import HttpResponse


def employee_list(request, pk=None):  # replaced by the real screens in the next commit
    return HttpResponse("")
